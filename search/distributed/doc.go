// Package distributed evaluates a search's architectures on worker processes, over a NATS
// JetStream work queue, with the code a local run uses.
//
// # Protocol
//
// A Coordinator (the search process) publishes the run's Spec, everything an evaluation
// depends on, to the key-value bucket SettingsBucket under its Hash. Each architecture to
// evaluate becomes a Task on subject "zeronas.tasks.HASH" of the work-queue stream
// TasksStream, keyed by (architecture ID, settings hash) through the Nats-Msg-Id header, so a
// task published twice within the stream's duplicate window is stored once. Workers share one
// durable pull consumer (WorkersConsumer); a worker evaluates a task, publishes a Result to
// "zeronas.results.HASH.ID" on the stream ResultsStream and only then acks the task.
//
// Delivery is at least once: a task whose worker dies is redelivered after AckWait, and a
// worker evaluating for longer sends in-progress acks every AckWait/3. Evaluation is a pure
// function of (architecture, settings), so a task evaluated twice gives the same result, and
// the coordinator keeps the first valid result of each ID and ignores the rest. A task
// delivered MaxDeliver times without a result is recorded as failed: by the worker that
// failed it on its last delivery, with its error, or, when no worker lived to say so, by
// the coordinator on the server's max-deliveries advisory. Results persist in ResultsStream,
// so a coordinator that restarts (zeronas resume) takes up the results already published
// instead of evaluating again.
//
// Hardware in the loop: a run whose latency model is "device:NAME" publishes its tasks on
// "zeronas.tasks.device.NAME.HASH", which only the consumer of NAME's workers receives; they
// time each architecture's forward pass on their own machine. The measured value, like any
// result, is kept in ResultsStream and in the run's archive, so it is never measured again.
//
// Every task and result is validated before it is used: size limits (the streams refuse
// larger messages too), known fields only, the protocol version, the settings hash, a
// canonical architecture of the run's space whose ID is the task's, finite objectives of the
// run's number and a finite non-negative violation. A worker refuses a task whose settings
// or zeronas version it cannot honour with a log line and a delayed negative ack, never an
// ack, so that another worker can take it.
package distributed
