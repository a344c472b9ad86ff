// Filled in by issue 5.
int main() { return 0; }
