#include "assistant/fts5_rank.hpp"

#include <sqlite3.h>

#include <cmath>
#include <string>
#include <vector>

namespace crossvoice::assistant {
namespace {

// Column numbers in the passages table.
constexpr int kTitle = 3;
constexpr int kHeading = 4;
constexpr int kBody = 5;
constexpr int kAsks = 6;

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// What one MATCH query needs for every row: computed on its first row and kept with the query (xSetAuxdata).
struct QueryStats {
    std::vector<double> idf;  // per phrase of the query
    double average_length = 1;
};

core::Error unavailable(std::string_view what) {
    return core::Error{core::ErrorCode::kUnavailable, "knowledge index: " + std::string(what), {}};
}

int count_row(const Fts5ExtensionApi* /*api*/, Fts5Context* /*fts*/, void* rows) {
    ++*static_cast<sqlite3_int64*>(rows);
    return SQLITE_OK;
}

void delete_stats(void* stats) { delete static_cast<QueryStats*>(stats); }

int query_stats(const Fts5ExtensionApi* api, Fts5Context* fts, QueryStats** out) {
    if (auto* cached = static_cast<QueryStats*>(api->xGetAuxdata(fts, 0))) {
        *out = cached;
        return SQLITE_OK;
    }
    auto* stats = new (std::nothrow) QueryStats;
    if (stats == nullptr) return SQLITE_NOMEM;
    sqlite3_int64 rows = 0;
    sqlite3_int64 title_tokens = 0;
    sqlite3_int64 body_tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, kTitle, &title_tokens);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, kBody, &body_tokens);
    if (rows > 0) stats->average_length = static_cast<double>(title_tokens + body_tokens) / static_cast<double>(rows);
    if (stats->average_length <= 0) stats->average_length = 1;
    const int phrases = api->xPhraseCount(fts);
    for (int phrase = 0; rc == SQLITE_OK && phrase < phrases; ++phrase) {
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(fts, phrase, &hits, count_row);
        const double n = static_cast<double>(hits);
        stats->idf.push_back(std::log(1.0 + (static_cast<double>(rows) - n + 0.5) / (n + 0.5)));
    }
    if (rc == SQLITE_OK)
        rc = api->xSetAuxdata(fts, stats, delete_stats);  // frees stats itself on failure
    else
        delete stats;
    if (rc == SQLITE_OK) *out = stats;
    return rc;
}

// The passage under the document's title (or before any heading): its heading is the title.
bool is_introduction(const Fts5ExtensionApi* api, Fts5Context* fts) {
    const char* title = nullptr;
    const char* heading = nullptr;
    int title_size = 0;
    int heading_size = 0;
    if (api->xColumnText(fts, kTitle, &title, &title_size) != SQLITE_OK ||
        api->xColumnText(fts, kHeading, &heading, &heading_size) != SQLITE_OK) {
        return false;
    }
    return std::string_view(title, static_cast<std::size_t>(title_size)) ==
           std::string_view(heading, static_cast<std::size_t>(heading_size));
}

double weight(sqlite3_value** values, int count, int index) {
    return index < count ? sqlite3_value_double(values[index]) : 1.0;
}

void score_row(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context, int count,
               sqlite3_value** values) {
    const double title_weight = weight(values, count, 0);
    const double heading_weight = weight(values, count, 1);
    const double body_weight = weight(values, count, 2);
    const double introduction_weight = weight(values, count, 3);
    const double asks_weight = weight(values, count, 4);
    QueryStats* stats = nullptr;
    int rc = query_stats(api, fts, &stats);
    int instances = 0;
    if (rc == SQLITE_OK) rc = api->xInstCount(fts, &instances);
    std::vector<double> frequency(stats != nullptr ? stats->idf.size() : 0, 0.0);
    std::vector<bool> in_heading(frequency.size(), false);
    std::vector<bool> in_asks(frequency.size(), false);
    for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
        int phrase = 0;
        int column = 0;
        int offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc != SQLITE_OK || phrase < 0 || static_cast<std::size_t>(phrase) >= frequency.size()) continue;
        if (column == kTitle) frequency[static_cast<std::size_t>(phrase)] += title_weight;
        if (column == kBody) frequency[static_cast<std::size_t>(phrase)] += body_weight;
        if (column == kHeading) in_heading[static_cast<std::size_t>(phrase)] = true;
        if (column == kAsks) in_asks[static_cast<std::size_t>(phrase)] = true;
    }
    int title_length = 0;
    int body_length = 0;
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, kTitle, &title_length);
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, kBody, &body_length);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(context, rc);
        return;
    }
    const double norm = kK1 * (1 - kB + kB * static_cast<double>(title_length + body_length) / stats->average_length);
    double score = 0;
    for (std::size_t phrase = 0; phrase < frequency.size(); ++phrase) {
        const double tf = frequency[phrase];
        const double bonus = (in_heading[phrase] ? heading_weight : 0.0) + (in_asks[phrase] ? asks_weight : 0.0);
        score += stats->idf[phrase] * (tf * (kK1 + 1) / (tf + norm) + bonus);
    }
    if (introduction_weight != 1.0 && is_introduction(api, fts)) score *= introduction_weight;
    sqlite3_result_double(context, score);
}

// Called by SQLite (C): nothing may be thrown through it.
void rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context, int count, sqlite3_value** values) {
    try {
        score_row(api, fts, context, count, values);
    } catch (...) {
        sqlite3_result_error_nomem(context);  // std::vector's allocations are all that can throw
    }
}

}  // namespace

core::Status register_rank_function(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* statement = nullptr;
    // The documented way to reach FTS5's API: "SELECT fts5(?1)" with a pointer bound under the type fts5_api_ptr.
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(statement);
    }
    sqlite3_finalize(statement);
    if (api == nullptr || api->iVersion < 2) return unavailable("this SQLite has no FTS5");
    const std::string name(kRankFunction);
    if (api->xCreateFunction(api, name.c_str(), nullptr, rank, nullptr) != SQLITE_OK) {
        return unavailable("cannot register the ranking function");
    }
    return {};
}

}  // namespace crossvoice::assistant
