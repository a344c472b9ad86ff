// Filled in by the speech work of issue 5.
