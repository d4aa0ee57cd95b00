package dev.tidewater.controller;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Serialises the IAM work of one TaskRole between its two controllers (the reconciler and the
 * cleanup controller run on their own threads) and marks TaskRoles whose role is being deleted, so
 * a reconcile that started before the deletion cannot re-create the role after it.
 */
@ApplicationScoped
public class TaskRoleIamLocks {

  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Set<String> deleting = ConcurrentHashMap.newKeySet();

  /** Runs {@code work} holding the lock of the TaskRole with {@code uid}. */
  public <T> T locked(String uid, Supplier<T> work) {
    synchronized (locks.computeIfAbsent(uid, u -> new Object())) {
      return work.get();
    }
  }

  /** From now on, the TaskRole's role is being deleted (call holding its lock). */
  public void markDeleting(String uid) {
    deleting.add(uid);
  }

  /** Whether the TaskRole's role is being deleted. */
  public boolean deleting(String uid) {
    return deleting.contains(uid);
  }

  /** The TaskRole is gone: nothing is kept for it. */
  public void forget(String uid) {
    deleting.remove(uid);
    locks.remove(uid);
  }
}
