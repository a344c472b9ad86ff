#include "observability/metrics.hpp"

#include <fmt/format.h>

namespace crossvoice::observability {

void Histogram::observe_us(std::uint64_t micros) {
    const double seconds = static_cast<double>(micros) / 1e6;
    for (std::size_t i = 0; i < kLatencyBounds.size(); ++i) {
        if (seconds <= kLatencyBounds[i]) {
            buckets_[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    }
    sum_us_.fetch_add(micros, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
    const std::string_view sep = labels.empty() ? "" : ",";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencyBounds.size(); ++i) {
        cumulative += buckets_[i].load(std::memory_order_relaxed);
        fmt::format_to(std::back_inserter(out), "{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, kLatencyBounds[i],
                       cumulative);
    }
    const auto count = count_.load(std::memory_order_relaxed);
    fmt::format_to(std::back_inserter(out), "{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, sep, count);
    const auto sum = static_cast<double>(sum_us_.load(std::memory_order_relaxed)) / 1e6;
    if (labels.empty()) {
        fmt::format_to(std::back_inserter(out), "{}_sum {}\n{}_count {}\n", name, sum, name, count);
    } else {
        fmt::format_to(std::back_inserter(out), "{}_sum{{{}}} {}\n{}_count{{{}}} {}\n", name, labels, sum, name, labels,
                       count);
    }
}

std::string MetricsRegistry::render() const {
    std::string out;
    out.reserve(4096);
    for (const auto& source : sources_) source->render(out);
    return out;
}

void BuildInfo::render(std::string& out) const {
    fmt::format_to(std::back_inserter(out),
                   "# HELP crossvoice_build_info Build version and commit of this binary.\n"
                   "# TYPE crossvoice_build_info gauge\n"
                   "crossvoice_build_info{{version=\"{}\",commit=\"{}\"}} 1\n",
                   escape_label_value(version_), escape_label_value(commit_));
}

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char ch : value) {
        switch (ch) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '\n': out += "\\n"; break;
            default: out += ch;
        }
    }
    return out;
}

}  // namespace crossvoice::observability
