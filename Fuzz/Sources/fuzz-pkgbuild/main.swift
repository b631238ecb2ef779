import FuzzSupport

runFuzzer(fuzzPKGBUILD)
