"""The pages people use in a browser: sign-in, sessions, the portal and the desk (docs/web.md)."""
