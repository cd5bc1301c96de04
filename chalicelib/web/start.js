// Starts the portal once every page script has registered itself (kept out of index.html:
// the Content-Security-Policy allows no inline script).
window.EBOK.start();
