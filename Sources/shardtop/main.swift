print("shardtop")
