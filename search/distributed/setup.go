package distributed

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// maxSpecBytes bounds a published Spec: under NATS's default maximum payload of 1 MiB.
const maxSpecBytes = 512 << 10

// duplicateWindow is how long the task stream remembers a task's key: a task published
// again within it (by a coordinator that restarted, or retried a publish whose
// acknowledgement was lost) is stored once.
const duplicateWindow = 30 * time.Minute

// Options configure a Coordinator and the JetStream resources it creates.
type Options struct {
	// Version is the zeronas version tasks are stamped with; workers refuse other versions.
	Version string
	// AckWait is how long a task may go without an ack or in-progress ack before the
	// server redelivers it. If 0, DefaultAckWait.
	AckWait time.Duration
	// MaxDeliver is how many times a task is delivered before it is recorded as failed.
	// If 0, DefaultMaxDeliver.
	MaxDeliver int
	// Replicas is the number of copies of each stream in a clustered JetStream. If 0, 1.
	Replicas int
}

func (o Options) withDefaults() Options {
	if o.AckWait == 0 {
		o.AckWait = DefaultAckWait
	}
	if o.MaxDeliver == 0 {
		o.MaxDeliver = DefaultMaxDeliver
	}
	if o.Replicas == 0 {
		o.Replicas = 1
	}
	return o
}

// resources are the streams, consumer and bucket a run uses.
type resources struct {
	tasks, results jetstream.Stream
	kv             jetstream.KeyValue
}

// ensure creates (or updates to o) the run's JetStream resources.
func ensure(ctx context.Context, js jetstream.JetStream, o Options, device string) (*resources, error) {
	var r resources
	var err error
	r.tasks, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: TasksStream, Description: "zeronas evaluation tasks (work queue)",
		Subjects: []string{tasksPrefix + ">"}, Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage,
		Replicas: o.Replicas, MaxMsgSize: MaxMessageBytes, Duplicates: duplicateWindow,
	})
	if err != nil {
		return nil, fmt.Errorf("create stream %s: %w", TasksStream, err)
	}
	r.results, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: ResultsStream, Description: "zeronas evaluation results, by settings hash and architecture ID",
		Subjects: []string{resultsPrefix + "*.*"}, Retention: jetstream.LimitsPolicy, Storage: jetstream.FileStorage,
		Replicas: o.Replicas, MaxMsgSize: MaxMessageBytes, MaxMsgsPerSubject: 16,
	})
	if err != nil {
		return nil, fmt.Errorf("create stream %s: %w", ResultsStream, err)
	}
	// Every device has its own consumer (a work queue's consumers may not overlap): tasks
	// measured on a device go only to the workers started for it.
	devices := []string{""}
	if device != "" {
		devices = append(devices, device)
	}
	for _, dev := range devices {
		_, err = r.tasks.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
			Durable: consumerName(dev), Description: "zeronas workers share this consumer",
			FilterSubject: taskSubject(dev, "*"),
			AckPolicy:     jetstream.AckExplicitPolicy, AckWait: o.AckWait, MaxDeliver: o.MaxDeliver,
		})
		if err != nil {
			return nil, fmt.Errorf("create consumer %s: %w", consumerName(dev), err)
		}
	}
	r.kv, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: SettingsBucket, Description: "zeronas run settings, by hash",
		MaxValueSize: maxSpecBytes, Storage: jetstream.FileStorage, Replicas: o.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("create bucket %s: %w", SettingsBucket, err)
	}
	return &r, nil
}
