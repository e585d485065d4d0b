"""COBOL front end: preprocessing (columns, COPY, EXEC, source map) and parsing."""
