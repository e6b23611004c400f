// The recorder layout runs only in a browser (headless Chromium, or LiveKit Egress): nothing to render on the server.
export const ssr = false;
