// Filled in by issue 5 (multipart/form-data reader).
