// Leaflet (vendored, chalicelib/web/vendor/leaflet.js) is a classic script the outage map
// loads on first use; it defines the global L.
interface Window {
  L: any;
}
declare const L: any;
// An object of an API answer (JSON), as the pages read it.
type Json = Record<string, any>;
