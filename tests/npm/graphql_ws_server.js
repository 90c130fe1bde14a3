// The demo's GraphQL subscriptions written with the npm graphql-ws server, the reference
// implementation of graphql-transport-ws. Prints its port (127.0.0.1), then serves until killed.
const { WebSocketServer } = require("ws");
const { useServer } = require("graphql-ws/use/ws");
const { buildSchema } = require("graphql");

const schema = buildSchema(`
  type Query { hello(name: String = "world"): String }
  type Subscription { count(to: Int!): Int, echo(text: String!): String, fail: Int }
`);

const roots = {
  query: { hello: ({ name }) => `Hello, ${name}!` },
  subscription: {
    count: async function* ({ to }) {
      for (let number = 1; number <= to; number++) yield { count: number };
    },
    echo: async function* ({ text }) {
      yield { echo: text };
    },
    fail: async function* () {
      throw new Error("this subscription always fails");
    },
  },
};

const server = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/graphql" });
useServer(
  {
    schema,
    roots,
    onConnect: (ctx) => !(ctx.connectionParams && ctx.connectionParams.token === "wrong"),
  },
  server,
);
server.on("listening", () => console.log(server.address().port));
