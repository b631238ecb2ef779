import FuzzSupport

runFuzzer(fuzzDatabase)
