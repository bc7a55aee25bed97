package io.mlplatform.serving.lifecycle;

import io.mlplatform.store.format.RoutingDoc;

/** Told when a model's routing document in the store changes (the router listens). */
@FunctionalInterface
public interface RoutingListener {

  /**
   * @param model the model
   * @param doc the store's routing document, or null when the model has none (then a rule from the
   *     config file applies)
   */
  void routingChanged(String model, RoutingDoc doc);
}
