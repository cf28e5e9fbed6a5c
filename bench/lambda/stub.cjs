// A tiny AWS stub for the benchmarks, in a process of its own: answers SQS SendMessage and
// SendMessageBatch and Secrets Manager GetSecretValue in the AWS JSON protocol (what the SDK's
// clients speak), with the MD5 digests the SQS client checks, and counts what it was asked.
// Prints one JSON line ({"url": …}) when listening; exits when its stdin closes.
// Secrets: STUB_SECRETS, a JSON object from secret id to secret string.
const { createHash, randomUUID } = require("node:crypto");
const { createServer } = require("node:http");

const secrets = JSON.parse(process.env.STUB_SECRETS || "{}");
const counts = {};
const md5 = (text) => createHash("md5").update(text).digest("hex");

const actions = {
  "AmazonSQS.SendMessage": (input) => ({ MessageId: randomUUID(), MD5OfMessageBody: md5(input.MessageBody) }),
  "AmazonSQS.SendMessageBatch": (input) => ({
    Successful: input.Entries.map((e) => ({
      Id: e.Id,
      MessageId: randomUUID(),
      MD5OfMessageBody: md5(e.MessageBody),
    })),
    Failed: [],
  }),
  "secretsmanager.GetSecretValue": (input) => ({
    ARN: input.SecretId,
    Name: input.SecretId,
    SecretString: secrets[input.SecretId] ?? "",
    VersionId: "v1",
    VersionStages: ["AWSCURRENT"],
  }),
};

const server = createServer((req, res) => {
  if (req.method === "GET") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify(counts));
  }
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const target = req.headers["x-amz-target"];
    const action = actions[target];
    counts[target] = (counts[target] || 0) + 1;
    const body = action
      ? JSON.stringify(action(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}")))
      : JSON.stringify({ __type: "UnknownOperationException" });
    res.writeHead(action ? 200 : 400, {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-requestid": randomUUID(),
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
