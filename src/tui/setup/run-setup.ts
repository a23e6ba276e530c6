export async function needsSetup(_env: NodeJS.ProcessEnv): Promise<boolean> {
  return false;
}
export async function runSetup(_o: {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}): Promise<boolean> {
  return true;
}
