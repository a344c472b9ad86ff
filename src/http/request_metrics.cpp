#include "http/request_metrics.hpp"

#include <fmt/format.h>

namespace crossvoice::http {
namespace {

constexpr std::string_view kUnmatchedRoute = "unmatched";

std::string labels(std::string_view route, Method method) {
    return fmt::format("route=\"{}\",method=\"{}\"", observability::escape_label_value(route), to_string(method));
}

}  // namespace

RequestMetrics::RequestMetrics(const Router& router)
    : router_(router), route_count_(router.routes().size()), routes_(std::make_unique<Slot[]>(route_count_)) {}

void RequestMetrics::record(std::optional<std::size_t> route_index, Method method, int status, std::uint64_t micros) {
    Slot& slot = route_index && *route_index < route_count_ ? routes_[*route_index]
                                                            : unmatched_[static_cast<std::size_t>(method)];
    const int bucket = status >= 0 && status < kStatusSlots ? status : 0;
    slot.by_status[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
    slot.latency.observe_us(micros);
}

void RequestMetrics::render(std::string& out) const {
    const auto& routes = router_.routes();
    // Visits every slot that has seen traffic, routes in table order then unmatched by method.
    auto each_slot = [&](auto&& visit) {
        for (std::size_t i = 0; i < route_count_; ++i) {
            if (routes_[i].latency.count() > 0) visit(routes_[i], labels(routes[i].pattern, routes[i].method));
        }
        for (std::size_t m = 0; m < kMethodCount; ++m) {
            if (unmatched_[m].latency.count() > 0) {
                visit(unmatched_[m], labels(kUnmatchedRoute, static_cast<Method>(m)));
            }
        }
    };

    out += "# HELP crossvoice_http_requests_total HTTP requests answered, by route, method and status.\n";
    out += "# TYPE crossvoice_http_requests_total counter\n";
    each_slot([&](const Slot& slot, const std::string& label_text) {
        for (int status = 0; status < kStatusSlots; ++status) {
            const auto n = slot.by_status[static_cast<std::size_t>(status)].load(std::memory_order_relaxed);
            if (n > 0) {
                fmt::format_to(std::back_inserter(out), "crossvoice_http_requests_total{{{},status=\"{}\"}} {}\n",
                               label_text, status, n);
            }
        }
    });
    out += "# HELP crossvoice_http_request_duration_seconds Time from a complete request to its response.\n";
    out += "# TYPE crossvoice_http_request_duration_seconds histogram\n";
    each_slot([&](const Slot& slot, const std::string& label_text) {
        slot.latency.render(out, "crossvoice_http_request_duration_seconds", label_text);
    });
    out += "# HELP crossvoice_http_requests_in_flight Requests read and not yet answered.\n";
    out += "# TYPE crossvoice_http_requests_in_flight gauge\n";
    fmt::format_to(std::back_inserter(out), "crossvoice_http_requests_in_flight {}\n", in_flight_.value());
}

}  // namespace crossvoice::http
