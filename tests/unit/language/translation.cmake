# Included from tests/unit/language/CMakeLists.txt. The LibreTranslate tests run a loopback fake on the
# project's own HTTP server (cv_http) and talk to it with the real CurlHttpClient (cv_infra); the Apertium
# tests run the installed apertium (skipped when it is not installed).
crossvoice_test(language_translation_test
    SOURCES translation_test.cpp context_analyzer_test.cpp
    DEPS cv_language cv_infra cv_http nlohmann_json::nlohmann_json
    LABELS unit)
