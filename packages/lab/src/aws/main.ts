// The strict AWS layer as a process of its own (so every client of every process, and the AWS
// CLI, meets the same rules): `node main.js '<options as JSON>'`. Stops on SIGTERM.
import { startAwsLayer, type AwsLayerOptions } from './layer'

void (async () => {
  const options = JSON.parse(process.argv[2] ?? '{}') as AwsLayerOptions
  const layer = await startAwsLayer(options)
  process.stdout.write(
    `ferry lab AWS layer on 127.0.0.1:${options.port} in front of ${options.motoEndpoint}\n`,
  )
  const stop = () => void layer.close().finally(() => process.exit(0))
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
})()
