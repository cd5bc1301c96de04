// What the portal's plain scripts share through window (checked by tsc --checkJs).
interface Window {
  EBOK: any;
  EBOKFormat: typeof import("../chalicelib/web/format.js");
  L: any;
}
declare const L: any;
