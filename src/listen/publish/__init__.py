"""Publishing built audio: HTTP server, web player and podcast feed."""
