#pragma once

#include <filesystem>
#include <string>

namespace crossvoice::testing {

// Which database a service the tests start uses; the hook that runs the integration suites again on PostgreSQL
// (their second ctest registration, label `postgres`, sets CROSSVOICE_TEST_DATABASE=postgres).
//
// By default: a SQLite file in the service's data directory. With CROSSVOICE_TEST_DATABASE=postgres: a PostgreSQL
// database of its own on the server of CROSSVOICE_TEST_POSTGRES_URL, created (empty: the service migrates it) on
// first use and named after the data directory, so a service restarted on the same directory finds its data again.
std::string service_database_url(const std::filesystem::path& data_dir);

// Drops the PostgreSQL database service_database_url made for `data_dir`; nothing for SQLite.
void drop_service_database(const std::filesystem::path& data_dir);

// "" when the selected database can be used here; otherwise why not (CROSSVOICE_TEST_DATABASE=postgres without
// CROSSVOICE_TEST_POSTGRES_URL). The fixture skips then, or fails under CI=true.
std::string service_database_unavailable();

}  // namespace crossvoice::testing
