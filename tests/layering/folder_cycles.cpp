// tests/layering/folder_cycles.cpp: strongly connected components (Tarjan), then for every
// folder in one the shortest loop back to it (breadth-first), each loop reported once.
#include "folder_cycles.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <set>

namespace layering {
namespace {

using Cycle = std::vector<std::string>;  // folders, the first not repeated at the end

std::vector<std::set<std::string>> components_with_cycles(const FolderGraph &graph) {
  std::map<std::string, int> index, low;
  std::vector<std::string> stack;
  std::set<std::string> on_stack;
  std::vector<std::set<std::string>> components;
  int next = 0;
  std::function<void(const std::string &)> visit = [&](const std::string &v) {
    index[v] = low[v] = next++;
    stack.push_back(v);
    on_stack.insert(v);
    if (auto edges = graph.find(v); edges != graph.end()) {
      for (const auto &[w, evidence] : edges->second) {
        if (!index.contains(w)) {
          visit(w);
          low[v] = std::min(low[v], low[w]);
        } else if (on_stack.contains(w)) {
          low[v] = std::min(low[v], index[w]);
        }
      }
    }
    if (low[v] != index[v]) return;
    std::set<std::string> component;
    std::string w;
    do {
      w = stack.back();
      stack.pop_back();
      on_stack.erase(w);
      component.insert(w);
    } while (w != v);
    if (component.size() > 1) components.push_back(std::move(component));
  };
  for (const auto &[v, edges] : graph)
    if (!index.contains(v)) visit(v);
  return components;
}

// The shortest loop from `start` back to itself inside `component`.
Cycle shortest_cycle(const FolderGraph &graph, const std::set<std::string> &component,
                     const std::string &start) {
  std::map<std::string, std::string> parent;
  std::deque<std::string> queue{start};
  while (!queue.empty()) {
    auto v = queue.front();
    queue.pop_front();
    for (const auto &[w, evidence] : graph.at(v)) {
      if (!component.contains(w)) continue;
      if (w == start) {
        Cycle cycle{v};
        while (cycle.back() != start) cycle.push_back(parent.at(cycle.back()));
        std::reverse(cycle.begin(), cycle.end());
        return cycle;
      }
      if (parent.try_emplace(w, v).second) queue.push_back(w);
    }
  }
  return {};
}

// The same loop always starts at its smallest folder.
Cycle canonical(Cycle cycle) {
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  return cycle;
}

}  // namespace

void check_folder_cycles(const FolderGraph &graph, Violations &violations) {
  std::set<Cycle> cycles;
  for (const auto &component : components_with_cycles(graph))
    for (const auto &folder : component)
      cycles.insert(canonical(shortest_cycle(graph, component, folder)));
  for (const auto &cycle : cycles) {
    std::string loop = cycle.front();
    std::string evidence;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      const auto &to = cycle[(i + 1) % cycle.size()];
      loop += " -> " + to;
      evidence += (i ? "; " : "") + graph.at(cycle[i]).at(to);
    }
    violations.add({"host folder cycles (ninja deps)", cycle.front(), cycle.front(),
                    "a folder cycle " + loop + " [" + evidence + "]",
                    "host folders form no cycle"});
  }
}

}  // namespace layering
