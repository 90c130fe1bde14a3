"""Reports of a run: sequence diagrams (SVG, Mermaid) and behave formatters that write them."""
