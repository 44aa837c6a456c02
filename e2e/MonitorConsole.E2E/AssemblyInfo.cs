// One console and one browser at a time: the suite shares two cores with the other test assemblies in CI.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
