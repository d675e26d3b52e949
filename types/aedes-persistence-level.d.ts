// aedes-persistence-level ships no types; this is the part the gateway uses.
declare module 'aedes-persistence-level' {
  import type { Level } from 'level';
  function aedesPersistenceLevel(db: Level<string, unknown> | Level<string, Buffer>): unknown;
  export default aedesPersistenceLevel;
}
