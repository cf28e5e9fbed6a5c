/**
 * dynalite with its active tables' definitions kept in memory (src/local/dynalite-tables.ts):
 * every change of a table through the API is seen at once by the next request.
 */
import type { AddressInfo } from "node:net";
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { cacheDynaliteTables } from "../../../src/local/dynalite-tables";
import { TEST_CREDENTIALS, TEST_REGION } from "../../helpers/emulators";

let server: ReturnType<typeof dynalite>;
let ddb: DynamoDBClient;

beforeAll(async () => {
  cacheDynaliteTables();
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  ddb = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
  });
});

afterAll(async () => {
  ddb.destroy();
  await new Promise<void>((done) => server.close(() => done()));
});

const create = (key: string) =>
  ddb.send(
    new CreateTableCommand({
      TableName: "tables",
      KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: key, AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );

test("a table deleted and created again with another key: the next write uses the new key", async () => {
  await create("id");
  await ddb.send(new PutItemCommand({ TableName: "tables", Item: { id: { S: "a" } } }));
  expect((await ddb.send(new GetItemCommand({ TableName: "tables", Key: { id: { S: "a" } } }))).Item).toEqual(
    {
      id: { S: "a" },
    },
  );

  await ddb.send(new DeleteTableCommand({ TableName: "tables" }));
  await expect(
    ddb.send(new PutItemCommand({ TableName: "tables", Item: { id: { S: "b" } } })),
  ).rejects.toThrow("Requested resource not found");

  await create("pk");
  await expect(
    ddb.send(new PutItemCommand({ TableName: "tables", Item: { id: { S: "c" } } })),
  ).rejects.toThrow("Missing the key pk in the item");
  await ddb.send(new PutItemCommand({ TableName: "tables", Item: { pk: { S: "c" } } }));
  expect((await ddb.send(new GetItemCommand({ TableName: "tables", Key: { pk: { S: "c" } } }))).Item).toEqual(
    {
      pk: { S: "c" },
    },
  );
});

test("a billing mode changed by UpdateTable is described at once", async () => {
  await ddb.send(
    new UpdateTableCommand({
      TableName: "tables",
      BillingMode: "PROVISIONED",
      ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
    }),
  );
  const { Table } = await ddb.send(new DescribeTableCommand({ TableName: "tables" }));
  expect(Table?.TableStatus).toBe("ACTIVE");
  expect(Table?.BillingModeSummary?.BillingMode).toBe("PROVISIONED");
  expect(Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 7, WriteCapacityUnits: 3 });
});
