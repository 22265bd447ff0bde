// expect: using the class 'Thread'
def l = Thread.currentThread().contextClassLoader
