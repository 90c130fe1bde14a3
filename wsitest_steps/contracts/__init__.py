"""Contracts: messages checked against the service's AsyncAPI document."""
