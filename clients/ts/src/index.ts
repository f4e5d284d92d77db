export { Client, verifyRow, type ClientOptions, type Row, type Version } from "./client.js";
export * from "./errors.js";
export { canonicalJSON, encodeRow, leafHash, nodeHash, rootFromInclusion, RootBuilder, type Schema, type Column } from "./encode.js";
export { Registry, statementHash, statementOf, STATEMENT_TYPEHASH, type Statement, type RegistryRecord, type Trust } from "./registry.js";
export { arrowValue, floatBits, parseValue, type Stored } from "./values.js";
export { parseReceipt, Receipt, RECEIPT_FORMAT, verifyReceipt, type ReceiptCheck, type ReceiptDoc, type Read, type ReadRow } from "./receipt.js";
export { EAS, EAS_SCHEMA, EAS_SCHEMA_UID, encodeSchemaData, offchainUID, type EASRecord } from "./eas.js";
