// Filled in by the OpenAI-compatible transcription work of issue 5.
