#pragma once

#include <cstdio>
#include <cstdlib>

// A property that must hold for every input. Unlike assert() it is never compiled out, and the abort()
// makes libFuzzer save the input as a crash artifact.
#define FUZZ_CHECK(condition)                                                                       \
    do {                                                                                            \
        if (!(condition)) {                                                                         \
            std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                           \
        }                                                                                           \
    } while (false)
