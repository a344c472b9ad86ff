// BOOST_ASSERT handler for the fuzz build (BOOST_ENABLE_ASSERT_HANDLER is set on every target there): a failed
// Boost assertion aborts, as a plain assert() would, so that libFuzzer records the input. Beast's own parser
// is built with BOOST_DISABLE_ASSERTS (see src/http/CMakeLists.txt), so its over-strict assertion stays quiet.

#include <cstdio>
#include <cstdlib>

namespace boost {

void assertion_failed(const char* expr, const char* function, const char* file, long line) {
    std::fprintf(stderr, "%s:%ld: %s: Boost assertion `%s' failed\n", file, line, function, expr);
    std::abort();
}

void assertion_failed_msg(const char* expr, const char* msg, const char* function, const char* file, long line) {
    std::fprintf(stderr, "%s:%ld: %s: Boost assertion `%s' failed: %s\n", file, line, function, expr, msg);
    std::abort();
}

}  // namespace boost
