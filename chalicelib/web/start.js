// Starts the portal once every page module has registered itself (module scripts run in
// document order; kept out of index.html: the Content-Security-Policy allows no inline script).
import { start } from "./app.js";

start();
