// Stand-ins for what the lab cannot give: AWS answers moto never sends, and time.
import { EC2Client } from '@aws-sdk/client-ec2'
import type { Clock } from '@ferry/core'

/**
 * A client whose every call is answered by `answer(commandName, n)` (n counts calls from 1);
 * an Error it returns is thrown, as the SDK throws AWS's errors. `calls` lists what was sent.
 */
export function scriptedClient(
  answer: (command: string, n: number) => unknown,
  region = 'us-east-1',
): { client: EC2Client; calls: string[] } {
  const calls: string[] = []
  const client = new EC2Client({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
  client.send = (async (command: { constructor: { name: string } }) => {
    calls.push(command.constructor.name)
    const out = answer(command.constructor.name, calls.length)
    if (out instanceof Error) throw out
    return out
  }) as never
  return { client, calls }
}

/** Time that passes only when something sleeps: hours of waiting take no time here. */
export function fakeClock(): Clock {
  let now = 0
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms
    },
    random: () => 0.5,
  }
}
