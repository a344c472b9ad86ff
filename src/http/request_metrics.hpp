#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "http/router.hpp"
#include "observability/metrics.hpp"

namespace crossvoice::http {

// crossvoice_http_requests_total{route,method,status}, crossvoice_http_request_duration_seconds{route,method}
// and crossvoice_http_requests_in_flight. One slot per route (fixed at start-up) plus one per method for
// requests that matched no route, so recording is a few relaxed atomic adds and never takes a lock.
class RequestMetrics final : public observability::MetricSource {
  public:
    // Build it after every route is added: it sizes its slots by the router's table.
    explicit RequestMetrics(const Router& router);

    // `route_index` is RouteMatch::index, or nullopt when no route matched.
    void record(std::optional<std::size_t> route_index, Method method, int status, std::uint64_t micros);
    observability::Gauge& in_flight() { return in_flight_; }
    void render(std::string& out) const override;

  private:
    static constexpr int kStatusSlots = 600;
    struct Slot {
        std::array<std::atomic<std::uint64_t>, kStatusSlots> by_status{};
        observability::Histogram latency;
    };
    const Router& router_;
    std::size_t route_count_;  // the router's size when this was built; routes added later count as unmatched
    std::unique_ptr<Slot[]> routes_;
    std::array<Slot, kMethodCount> unmatched_;
    observability::Gauge in_flight_;
};

}  // namespace crossvoice::http
