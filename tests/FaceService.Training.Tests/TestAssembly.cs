using Xunit;

// TorchSharp's random generator and thread count are process-wide. A test that seeds it and then builds or trains a
// network must not interleave with other tests drawing from it, or its seeded run stops being reproducible (a CI run
// saw two identically configured trainings end with different weights).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
