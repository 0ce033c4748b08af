/**
 * The app's icon as a small SVG (a white speech bubble on the app's green), for the browser
 * tab of the dashboard, the /qr page, the token page and /docs. No Node or Electron imports.
 */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0b6e4f"/>' +
  '<path d="M16 5.5a10 10 0 0 0-8.7 14.9L5.8 26.2l6-1.5A10 10 0 1 0 16 5.5z" fill="#fff"/></svg>';

/** The same icon inline, for pages that may not load anything else (the token page). */
export const FAVICON_DATA_URL = `data:image/svg+xml,${encodeURIComponent(FAVICON_SVG)}`;
