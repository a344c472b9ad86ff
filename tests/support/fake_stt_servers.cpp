// Filled in by the Deepgram work of issue 5.
