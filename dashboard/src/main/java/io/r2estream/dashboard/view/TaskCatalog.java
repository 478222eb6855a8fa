package io.r2estream.dashboard.view;

import io.r2estream.avro.TaskInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The task browser's data: the latest version of each validated task, bounded to the most recent ones. */
public final class TaskCatalog {

  private final BoundedMap<String, TaskInstance> tasks;

  TaskCatalog(final int maxTasks) {
    tasks = new BoundedMap<>(maxTasks);
  }

  void put(final String key, final TaskInstance t) {
    if (t == null) {
      tasks.remove(key); // tombstone: the task was withdrawn
    } else {
      tasks.putNewest(t.getInstanceId(), t);
    }
  }

  TaskInstance get(final String id) {
    return tasks.get(id);
  }

  int size() {
    return tasks.size();
  }

  /** Summary rows, newest first. */
  List<Map<String, Object>> listJson() {
    final List<Map<String, Object>> rows = new ArrayList<>();
    tasks.values().forEach(t -> {
      final Map<String, Object> m = new LinkedHashMap<>();
      m.put("instanceId", t.getInstanceId());
      m.put("repo", t.getRepo());
      m.put("baseCommit", t.getBaseCommit());
      m.put("failToPass", t.getFAILTOPASS().size());
      m.put("passToPass", t.getPASSTOPASS().size());
      m.put("source", t.getSource());
      m.put("createdAt", t.getCreatedAt().toString());
      rows.add(0, m);
    });
    return rows;
  }

  /** The whole task, or null when unknown. */
  Map<String, Object> taskJson(final String id) {
    final TaskInstance t = tasks.get(id);
    if (t == null) {
      return null;
    }
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("instanceId", t.getInstanceId());
    m.put("repo", t.getRepo());
    m.put("baseCommit", t.getBaseCommit());
    m.put("dockerImage", t.getDockerImage());
    m.put("problemStatement", t.getProblemStatement());
    m.put("patch", t.getPatch());
    m.put("testPatch", t.getTestPatch());
    m.put("failToPass", t.getFAILTOPASS());
    m.put("passToPass", t.getPASSTOPASS());
    m.put("testCommand", t.getEnvironment().getTestCommand());
    return m;
  }
}
