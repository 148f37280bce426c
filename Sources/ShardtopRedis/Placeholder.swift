// Entry point; see ShardtopCommand.swift.
