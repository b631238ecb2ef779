import FuzzSupport

runFuzzer(fuzzPackage)
