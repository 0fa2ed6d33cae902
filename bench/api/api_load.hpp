// bench/api/api_load.hpp — the load bench/api puts on a running `automuse-host serve`, over
// real HTTP on loopback: `clients` clients, each on its own kept-alive connection, reading one
// running job (GET /api/v1/jobs/{id}) and the job list (GET /api/v1/jobs) once a second; a
// starter that keeps `jobs` jobs running (youtube generate, offline: each job that ends is
// replaced by a new one) with one event stream (SSE) per job. Each side measures what it sees:
// the time of every read, and for every event the delay from its at_ms (when the worker wrote
// it, Unix ms) to its arrival on the stream. One thread, Asio coroutines.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace automuse::bench {

struct LoadOptions {
  uint16_t port = 0;
  std::string token;
  int clients = 200;
  int jobs = 4;
  std::chrono::milliseconds duration{30000};
  int width = 360;  // of each job's Short
  int height = 640;
};

struct LoadFigures {
  std::vector<double> job_reads_ms;    // GET /jobs/{id}, request written to answer read
  std::vector<double> list_reads_ms;   // GET /jobs
  std::vector<double> event_delay_ms;  // an event's at_ms to its arrival on the stream
  int read_errors = 0;                 // a read that failed or was not 200
  int jobs_started = 0;
  int jobs_done = 0;
  int jobs_failed = 0;
  std::vector<std::string> problems;  // the first few errors, for the report
};

// Runs the load for options.duration; `sample` is called every 250 ms meanwhile (the bench
// reads the server's memory there). Returns what was measured.
LoadFigures run_load(const LoadOptions &options, const std::function<void()> &sample);

// The p-th percentile (0..100) by nearest rank; 0 for none.
double percentile(std::vector<double> values, double p);

}  // namespace automuse::bench
