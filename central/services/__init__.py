"""What central does, apart from HTTP: the API routes and the CLI both call these."""
