// The keccak package's pure-JavaScript build (`keccak/js`), the same API as its default export; the
// package's types describe only the default.
declare module "keccak/js" {
  import createKeccak from "keccak";
  export default createKeccak;
}
