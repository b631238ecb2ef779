import FuzzSupport

runFuzzer(fuzzSrcInfo)
