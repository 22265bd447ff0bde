// expect: defining a method is not allowed
def methodMissing(String name, args) { name.execute() }
touchCanary()
