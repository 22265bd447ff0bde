// expect: direct field access (.@) is not allowed
def e = [:]
def v = e.@table
