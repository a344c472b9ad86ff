// Filled in by the language work of issue 5.
