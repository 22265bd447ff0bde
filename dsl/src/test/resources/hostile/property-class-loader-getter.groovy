// expect: 'getClassLoader' is not allowed || unknown name
def loader = job.getClassLoader()
