// expect: type 'File' is not allowed || type parameter
List<File> files = ['CANARY']
