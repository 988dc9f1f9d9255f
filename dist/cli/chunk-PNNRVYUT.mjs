import { createRequire as __siCreateRequire } from "node:module"; import { fileURLToPath as __siFileURLToPath } from "node:url"; import { dirname as __siDirname } from "node:path"; const require = __siCreateRequire(import.meta.url); const __filename = __siFileURLToPath(import.meta.url); const __dirname = __siDirname(__filename);
var _="0.1.0";export{_ as a};
