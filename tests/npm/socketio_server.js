// The demo's Socket.IO chat (chat_server_fixture/protocol_apps.py) written with the npm socket.io
// server, the protocol's reference implementation: the same features run against both.
// Prints the port it listens on (127.0.0.1, a free port), then serves until killed.
const http = require("http");
const { Server } = require("socket.io");

const server = http.createServer();
const io = new Server(server, { pingInterval: 1000, pingTimeout: 1000, transports: ["websocket"] });
const nameOf = (socket) => socket.handshake.query.name || "someone";

io.on("connection", (socket) => {
  io.emit("joined", { user: nameOf(socket) });
  socket.on("chat", (data) => io.emit("chat", { user: nameOf(socket), text: data && data.text }));
  socket.on("join", (data, ack) => ack({ ok: Boolean(data && data.room), room: data && data.room }));
  socket.on("upload", (data, ack) => ack({ size: Buffer.isBuffer(data) ? data.length : null }));
  socket.on("download", () => socket.emit("file", { name: "hello.bin", data: Buffer.from([0, 1, 255]) }));
  socket.on("quiz", async () => {
    const answer = await socket.timeout(5000).emitWithAck("question", { question: "What is 6 times 7?" });
    socket.emit("answered", { user: nameOf(socket), answer });
  });
  socket.on("leave", () => socket.disconnect(true));
});

const admin = io.of("/admin");
admin.use((socket, next) => {
  if (socket.handshake.auth && socket.handshake.auth.token === "admin-secret") return next();
  const refusal = new Error("Not authorized");
  refusal.data = { hint: "send the admin token" };
  next(refusal);
});
admin.on("connection", (socket) => socket.on("status", (ack) => ack({ users: io.of("/").sockets.size })));

server.listen(0, "127.0.0.1", () => console.log(server.address().port));
